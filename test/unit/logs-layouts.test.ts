// Text log layouts from the wild, one sample file each (written for these tests in the layout its
// program writes; none is copied from a third-party log): every file is detected as its format,
// every line is accounted for (records + continuations + rejected + blank + skipped = lines, and
// nothing is rejected), every record has the time and the level its layout writes, and the
// fields the layout carries are read.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { readFile, readBytes, folderReader } from './logs-harness.ts';
import { expectEveryLineAccounted, physicalLines } from './logs-accounting.ts';
import { formatIsoNs, type EpochNs } from '../../src-renderer/core/base/time.ts';

const DIR = new URL('../fixtures/logs/layouts/', import.meta.url).pathname;
/** 2026-12-07: stamps without a year or a date are placed against this. */
const NOW = Date.UTC(2026, 11, 7);
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const iso = (ns: EpochNs | null) => (ns === null ? null : formatIsoNs(ns));

// file, format, records, records with a time, records with a level (counted by reading the files)
const LAYOUTS: Array<[string, string, number, number, number]> = [
  ['logcat-threadtime.log', 'logs-logcat', 11, 9, 9], // two "--------- beginning of" markers
  ['logcat-time-brief.log', 'logs-logcat', 5, 3, 5], // brief lines have no time
  ['hadoop.log', 'logs-java', 5, 5, 5],
  ['spark.log', 'logs-java', 5, 5, 5],
  ['hdfs.log', 'logs-java', 4, 4, 4],
  ['zookeeper.log', 'logs-java', 4, 4, 4],
  ['logback.log', 'logs-java', 4, 4, 4],
  ['spring-boot.log', 'logs-java', 3, 3, 3],
  ['tomcat.log', 'logs-java', 3, 3, 3],
  ['serilog.log', 'logs-serilog', 5, 5, 5],
  ['serilog-console.log', 'logs-serilog', 4, 4, 4],
  ['zerolog.log', 'logs-zerolog', 6, 6, 6],
  ['gin.log', 'logs-gin', 7, 4, 7], // three [GIN-debug] lines have no time
  ['compose.log', 'logs-prefixed', 11, 9, 9], // a stack frame cut off by another service's line, and "done with batch 7"
  ['compose-timestamps.log', 'logs-prefixed', 4, 4, 3],
  ['kubectl-prefix.log', 'logs-prefixed', 6, 6, 5], // the envoy access line writes no level
  ['pipe.log', 'logs-pipe', 5, 5, 5],
  ['healthapp.log', 'logs-pipe', 5, 5, 0],
  ['epoch.log', 'logs-generic', 5, 5, 4],
  ['apache-2.0-error.log', 'logs-apache-error', 5, 5, 5],
  ['bgl.log', 'logs-cluster', 5, 5, 5],
  ['thunderbird.log', 'logs-cluster', 4, 4, 0],
  ['hpc.log', 'logs-cluster', 4, 4, 0],
  ['linux-syslog.log', 'logs-syslog-3164', 6, 6, 0],
  ['mac.log', 'logs-syslog-3164', 6, 6, 0],
  ['openssh.log', 'logs-syslog-3164', 6, 6, 0],
  ['openstack.log', 'logs-openstack', 4, 4, 4],
  ['proxifier.log', 'logs-proxifier', 4, 4, 0],
  ['windows-cbs.log', 'logs-windows-cbs', 5, 5, 5],
  ['plain.txt', 'logs-text', 6, 0, 2],
  ['plain-stamped.txt', 'logs-generic', 4, 3, 2],
];

const read = folderReader(DIR, { now: NOW });

describe('every layout imports every line', () => {
  for (const [file, format, records, timed, leveled] of LAYOUTS) {
    it(`${file}: ${format}, ${records} records, ${timed} with a time, ${leveled} with a level`, () => {
      const r = read(file);
      expect(r.format).toBe(format);
      expect(r.logs).toHaveLength(records);
      expectEveryLineAccounted(r, physicalLines(new Uint8Array(readFileSync(DIR + file))));
      expect(r.logs.filter((l) => l.timeNs !== null)).toHaveLength(timed);
      expect(r.logs.filter((l) => l.severity !== null)).toHaveLength(leveled);
      // Imported again in small chunks, the same records come out.
      const again = readFile(DIR + file, { now: NOW }, 7);
      expect(again.logs.map((l) => [l.line, l.timeNs, l.severity, l.message])).toEqual(r.logs.map((l) => [l.line, l.timeNs, l.severity, l.message]));
    });
  }
});

describe('fields each layout carries', () => {
  it('logcat: pid, tid, level letter and tag; assert is fatal; no year means this year', () => {
    const logs = read('logcat-threadtime.log').logs;
    expect(logs[0].message).toBe('--------- beginning of main');
    expect(iso(logs[1].timeNs)).toBe('2026-12-06T10:42:01.123000000Z');
    expect(logs[1].attributes).toEqual({ 'process.pid': 1702, 'thread.id': 2395, 'android.tag': 'WindowManager' });
    expect(logs[3].attributes['android.tag']).toBe('ShopApi');
    expect(logs[3].traceId).toBe(T);
    expect(logs.map((l) => l.severityText).join('')).toBe('DIWVEEEFA');
    expect(logs[10].severity).toBe('fatal');
    const brief = read('logcat-time-brief.log').logs;
    expect(brief[3]).toMatchObject({ timeNs: null, severity: 'info', message: 'Start proc 4711:com.example.shop/u0a123' });
    expect(brief[3].attributes).toEqual({ 'process.pid': 1702, 'android.tag': 'ActivityManager' });
  });

  it('log4j family: logger, thread, pid, and the stamps each writes', () => {
    const hadoop = read('hadoop.log').logs;
    expect(hadoop[3].attributes).toMatchObject({ 'thread.name': 'RMCommunicator Allocator', 'log.logger': 'org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator' });
    expect(hadoop[3].message.split('\n')).toHaveLength(5); // the stack trace joined
    expect(hadoop[4].attributes).toEqual({ 'log.logger': 'org.apache.hadoop.hdfs.server.datanode.DataNode' });
    expect(iso(hadoop[0].timeNs)).toBe('2026-12-06T10:42:01.978000000Z');
    const spark = read('spark.log').logs;
    expect(iso(spark[0].timeNs)).toBe('2026-12-06T10:42:01.000000000Z'); // yy/MM/dd
    expect(spark[2]).toMatchObject({ severity: 'warn', message: 'Block rdd_17_3 could not be removed as it was not found on disk or in memory' });
    const hdfs = read('hdfs.log').logs;
    expect(iso(hdfs[0].timeNs)).toBe('2026-12-06T10:42:01.000000000Z'); // yyMMdd HHmmss
    expect(hdfs[0].attributes).toEqual({ 'process.pid': 148, 'log.logger': 'dfs.DataNode$PacketResponder' });
    const zk = read('zookeeper.log').logs;
    expect(zk[1].attributes['thread.name']).toBe('QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774');
    expect(zk[1].message).toBe('Notification time out: 3200');
    const spring = read('spring-boot.log').logs;
    expect(spring[0].service).toBe('shop-api'); // Spring Boot's [application name]
    expect(spring[0].attributes).toEqual({ 'thread.name': 'main', 'log.logger': 'c.e.shop.ShopApplication', 'process.pid': 4711 });
    expect(iso(spring[0].timeNs)).toBe('2026-12-06T09:42:01.123000000Z');
    expect(read('tomcat.log').logs.map((l) => l.severity)).toEqual(['info', 'warn', 'error']);
  });

  it("logback's default pattern: a time of day, placed on the last day it fits before the import, with a finding", () => {
    // Imported at 2026-12-07T00:00Z, 10:42 today would be in the future: the lines are from the day before.
    const r = read('logback.log');
    expect(r.logs.map((l) => iso(l.timeNs))).toEqual([
      '2026-12-06T10:42:01.123000000Z', '2026-12-06T10:42:02.456000000Z', '2026-12-06T10:42:02.789000000Z', '2026-12-06T10:42:03.001000000Z',
    ]);
    expect(r.logs[2].traceId).toBe(T);
    expect(r.findings.map((f) => f.message)).toEqual([
      'logback.log: 4 timestamp(s) give a time of day without a date; they are placed from 2026-12-06 on (the day of the import)',
    ]);
  });

  it('Serilog: the offset after the stamp, the three-letter levels, exceptions joined', () => {
    const logs = read('serilog.log').logs;
    expect(iso(logs[0].timeNs)).toBe('2026-12-06T09:42:01.123000000Z');
    expect(logs.map((l) => l.severity)).toEqual(['info', 'debug', 'warn', 'error', 'fatal']);
    expect(logs[3].message.split('\n')).toEqual([
      'Order 17 failed', 'System.InvalidOperationException: Inventory unavailable',
      '   at Shop.Api.Orders.Place(Int32 id) in /src/Orders.cs:line 42',
      '   at Shop.Api.Controllers.OrderController.Post(OrderRequest r) in /src/OrderController.cs:line 17',
    ]);
    expect(logs[2].traceId).toBe(T);
  });

  it('zerolog: kitchen time, caller, fields as attributes, colour codes removed', () => {
    const logs = read('zerolog.log').logs;
    expect(iso(logs[2].timeNs)).toBe('2026-12-06T10:43:00.000000000Z');
    expect(logs[0].attributes).toEqual({ addr: ':8080', version: '1.4.2', 'code.caller': 'main.go:31' });
    expect(logs[2]).toMatchObject({ message: 'payment slow', traceId: T, spanId: '00f067aa0ba902b7' });
    expect(logs[3]).toMatchObject({ severity: 'error', message: 'order failed', attributes: { error: 'inventory unavailable', order_id: '17' } });
    expect(logs[5].attributes.error).toBe('listen tcp :8080: bind: address already in use');
  });

  it('gin: status as level, latency, client, method and path; the error line joins its request', () => {
    const logs = read('gin.log').logs;
    expect(logs.slice(0, 3).map((l) => l.severity)).toEqual(['warn', 'debug', 'debug']);
    expect(logs.slice(3).map((l) => [l.severity, l.message.split('\n')[0]])).toEqual([
      ['info', 'GET /api/orders/17 200'], ['warn', 'GET /api/orders/999 404'], ['error', 'POST /api/pay 502'], ['info', 'POST /api/orders 201'],
    ]);
    expect(logs[5].message).toContain('Error #01: payment provider unreachable');
    expect(logs[5].attributes).toMatchObject({ 'gin.latency': '1.830123401s', 'client.address': '203.0.113.7', 'url.path': '/api/pay' });
  });

  it('compose: the prefix is the service, each line read as what it is', () => {
    const logs = read('compose.log').logs;
    expect(logs.map((l) => [l.service, l.severity])).toEqual([
      ['proxy', 'info'], ['api', 'info'], ['worker', 'warn'], ['db', 'error'], ['cache', 'warn'], ['api', 'error'], ['java', 'error'],
      ['db', 'info'], ['java', null], ['proxy', 'error'], ['worker', null],
    ]);
    expect(logs[0].attributes['url.path']).toBe('/api/orders/17'); // access log
    expect(logs[1]).toMatchObject({ traceId: T, message: 'order loaded' }); // JSON
    expect(logs[2].attributes.depth).toBe('120'); // logfmt
    expect(logs[3].message).toBe('relation "invoices" does not exist at character 15\nSTATEMENT:  SELECT * FROM invoices'); // PostgreSQL
    expect(logs[4].attributes['redis.role']).toBe('master'); // Redis
    expect(logs[6].message).toBe('invoice 8 failed\njava.lang.IllegalStateException: totals differ'); // Java, its exception joined
    expect(logs[8]).toMatchObject({ line: 11, message: '\tat com.example.Billing.run(Billing.java:12)' }); // not glued to db's record
    expect(logs.every((l) => typeof l.attributes['container.name'] === 'string')).toBe(true);
  });

  it('compose --timestamps: docker stamps give the time; a traceback across stamped lines is one record', () => {
    const logs = read('compose-timestamps.log').logs;
    expect(iso(logs[0].timeNs)).toBe('2026-12-06T10:42:01.123456789Z');
    expect(logs[2].message.split('\n')).toHaveLength(4);
    expect(logs[2].message.endsWith('ZeroDivisionError: division by zero')).toBe(true);
    expect(logs[3].service).toBe('billing-worker'); // named inside the line
  });

  it('kubectl --prefix: the container is the service, the pod is kept', () => {
    const logs = read('kubectl-prefix.log').logs;
    expect(logs.map((l) => l.service)).toEqual(['checkout', 'istio-proxy', 'checkout', 'payment', 'payment', 'checkout']);
    expect(logs[0].attributes['k8s.pod.name']).toBe('checkout-7d9f8c6b5-x2x9q');
    expect(logs[4].message.split('\n')).toHaveLength(3);
    expect(logs[4].attributes['log.logger']).toBe('c.e.payment.Gateway');
  });

  it('pipe-separated: level, service or component, pid; a "|" inside the message stays', () => {
    const pipe = read('pipe.log').logs;
    expect(pipe.map((l) => [l.severity, l.service])).toEqual([['info', 'checkout'], ['debug', 'cart'], ['warn', 'payment'], ['error', 'payment'], ['info', 'checkout']]);
    expect(pipe[2].message).toBe('provider slow: 1830 ms | retrying');
    const health = read('healthapp.log').logs;
    expect(iso(health[0].timeNs)).toBe('2026-12-06T10:42:01.606000000Z');
    expect(iso(health[3].timeNs)).toBe('2026-12-06T10:42:02.007000000Z'); // "10:42:2:7"
    expect(health[0].attributes).toEqual({ 'log.component': 'Step_LSC', 'process.pid': 30002312 });
  });

  it('epoch stamps in seconds, milliseconds, microseconds and nanoseconds', () => {
    expect(read('epoch.log').logs.map((l) => iso(l.timeNs))).toEqual([
      '2025-12-06T10:42:01.000000000Z', '2025-12-06T10:42:01.500000000Z', '2025-12-06T10:42:02.123000000Z', '2025-12-06T10:42:02.123456000Z',
      '2025-12-06T10:42:03.123456789Z',
    ]);
  });

  it('supercomputer logs: epoch time (BG/L with its microseconds), levels, nodes and alert labels', () => {
    const bgl = read('bgl.log').logs;
    expect(iso(bgl[0].timeNs)).toBe('2025-12-06T10:42:01.675872000Z');
    expect(bgl.map((l) => l.severity)).toEqual(['info', 'info', 'fatal', 'fatal', 'warn']);
    expect(bgl[2].attributes).toMatchObject({ 'alert.category': 'KERNDTLB', 'host.name': 'R30-M0-N9-C:J16-U01', 'bgl.component': 'KERNEL' });
    const tb = read('thunderbird.log').logs;
    expect(tb.map((l) => l.service)).toEqual(['crond(pam_unix)', 'crond', 'postfix/postdrop', 'kernel']);
    expect(tb[2].attributes['alert.category']).toBe('VAPI');
    expect(read('hpc.log').logs[0].attributes).toMatchObject({ 'host.name': 'node-246', 'hpc.state': 'state_change.unavailable' });
  });

  it('syslog from Linux and macOS: tags with parentheses, spaces or a version, and repeated-message lines', () => {
    expect(read('linux-syslog.log').logs.map((l) => l.service)).toEqual(['sshd(pam_unix)', 'su(pam_unix)', 'syslogd', 'kernel', 'logrotate', 'ftpd']);
    const mac = read('mac.log').logs;
    expect(mac.map((l) => l.service)).toEqual(['kernel', 'com.apple.CDScheduler', 'Google Chrome Helper', '---', 'QQ', 'kernel']);
    expect(mac[3].message).toBe('last message repeated 1 time ---');
    expect(read('openssh.log').logs.every((l) => l.service === 'sshd' && l.attributes['process.pid'] === '24200')).toBe(true);
  });

  it('Apache 2.0 error log, OpenStack, Proxifier and Windows CBS', () => {
    const apache = read('apache-2.0-error.log').logs;
    expect(apache.map((l) => l.severity)).toEqual(['info', 'error', 'error', 'warn', 'info']);
    expect(apache[3].attributes).toEqual({ 'client.address': '203.0.113.7', 'http.request.header.referer': 'http://shop.example/' });
    const os = read('openstack.log').logs;
    expect(os[0].attributes).toMatchObject({ 'process.pid': 25746, 'log.logger': 'nova.osapi_compute.wsgi.server', 'http.response.status_code': 200 });
    expect(os[0].attributes['openstack.request_id']).toBe('req-38101a0b-2096-447d-96ea-a692162415ae');
    expect(os[1].attributes['openstack.instance_id']).toBe('b9000564-fe1a-409b-b8cc-1e88b294cd1d');
    expect(os.map((l) => l.severity)).toEqual(['info', 'info', 'warn', 'error']);
    const px = read('proxifier.log').logs;
    expect(px.map((l) => l.service)).toEqual(['chrome.exe', 'chrome.exe', 'Dropbox.exe *64', 'WeChat.exe']);
    expect(iso(px[0].timeNs)).toBe('2026-12-06T10:42:01.000000000Z');
    const cbs = read('windows-cbs.log').logs;
    expect(cbs.map((l) => [l.severity, l.attributes['log.component']])).toEqual([['info', 'CBS'], ['info', 'CSI'], ['warn', 'CBS'], ['error', 'CBS'], ['info', 'CBS']]);
  });
});

describe('plain text', () => {
  it('a file no format claims is read line by line, with the report note, levels where written and stack traces folded', () => {
    const r = read('plain.txt');
    expect(r.notes).toEqual(['read as plain text']);
    expect(r.logs.map((l) => [l.line, l.severity])).toEqual([[1, null], [2, null], [3, null], [4, 'warn'], [5, 'error'], [14, null]]);
    expect(r.logs[4].traceId).toBe(T);
    // The Java exception, its frames, then the Python traceback up to its exception line: one record.
    expect(r.logs[4].message.split('\n')).toHaveLength(8);
    expect(r.tally).toEqual({ lines: 14, continuations: 7, blank: 1, skipped: 0 });
  });

  it('reads a time where one opens a line, in any layout', () => {
    const at = (text: string) => {
      const r = readBytes(new TextEncoder().encode(`no time here\n${text}\n`), 'x.txt', { now: NOW, format: 'logs-text' });
      return [iso(r.logs[1].timeNs), r.logs[1].severity, r.logs[1].message];
    };
    expect(at('2026-12-06T10:42:01.5+01:00 WARN slow')).toEqual(['2026-12-06T09:42:01.500000000Z', 'warn', 'slow']);
    expect(at('1765017721123 I started')).toEqual(['2025-12-06T10:42:01.123000000Z', 'info', 'started']);
    expect(at('[12.06 10:42:01] E boom')).toEqual(['2026-12-06T10:42:01.000000000Z', 'error', 'boom']);
    expect(at('06-Dec-2026 10:42:01.250 SEVERE x')).toEqual(['2026-12-06T10:42:01.250000000Z', 'error', 'x']);
    expect(at('Dec  6 10:42:01 crit: y')).toEqual(['2026-12-06T10:42:01.000000000Z', 'fatal', 'y']);
    expect(at('3:04PM DBG z')).toEqual(['2026-12-06T15:04:00.000000000Z', 'debug', 'z']);
    expect(at('<Warning> no stamp')).toEqual([null, 'warn', '<Warning> no stamp']);
  });

  it('is not claimed by a layout that reads only a few of its lines', () => {
    const text = ['Step 3/12 : RUN npm ci', 'WARNING: package left-pad is deprecated', 'added 812 packages in 23s', 'compiling module 7 of 1000',
      'ERROR: test 17 failed', 'done'].join('\n');
    const r = readBytes(new TextEncoder().encode(text + '\n'), 'build.txt', { now: NOW });
    expect(r.format).toBe('logs-text');
    expect(r.logs).toHaveLength(6);
    // "stamp LEVEL name: message" is any program's layout, not log4j's (which names a dotted logger).
    const app = readBytes(new TextEncoder().encode('2026-12-06 10:42:01 INFO checkout: order placed\n2026-12-06 10:42:02 WARN cart: slow\n'), 'app.log', { now: NOW });
    expect(app.format).toBe('logs-generic');
  });

  it('decodes UTF-16 with a byte order mark instead of refusing it', () => {
    const text = '\uFEFFfirst line\r\nERROR second line\r\n';
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      bytes[i * 2] = text.charCodeAt(i) & 0xff; // UTF-16 LE
      bytes[i * 2 + 1] = text.charCodeAt(i) >> 8;
    }
    const r = readBytes(bytes, 'windows.txt', { now: NOW });
    expect(r.format).toBe('logs-text');
    expect(r.logs.map((l) => [l.message, l.severity])).toEqual([['first line', null], ['ERROR second line', 'error']]);
  });

  it('refuses a binary file with a message that says so', () => {
    const elf = new Uint8Array(4096);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    for (let i = 64; i < elf.length; i += 7) elf[i] = i & 0xff;
    expect(() => readBytes(elf, 'a.out')).toThrow(/^binary content \(NUL bytes or bytes that are not UTF-8 in its first kilobytes\), not a supported trace, log or catalog format \(supported: /);
    let x = 7;
    const noise = Uint8Array.from({ length: 8192 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    expect(() => readBytes(noise, 'noise.bin')).toThrow(/binary content/);
  });

  it('keeps text with a stray NUL byte or Latin-1 bytes as text', () => {
    const bytes = new TextEncoder().encode('alpha\nbeta\ngamma cafe\n'.repeat(200));
    bytes[8] = 0; // "beta" with a NUL
    for (let i = 0; i < bytes.length; i += 17) if (bytes[i] === 0x65) bytes[i] = 0xe9; // a Latin-1 é, not UTF-8, here and there
    expect(readBytes(bytes, 'mixed.txt', { now: NOW }).logs).toHaveLength(600);
  });

  it('leaves a JSON document that no JSON format reads to the error, not to plain text', () => {
    expect(() => readBytes(new TextEncoder().encode('{"hello": [1, 2,\n 3]}\n'), 'x.json')).toThrow(/not a supported/);
  });
});

describe('records stay whole and separate', () => {
  it('a line that starts with its own timestamp is never folded into the record above', () => {
    // A Java log with a line in another layout, and a syslog file with a line the syslog layout does not read.
    const java = readBytes(new TextEncoder().encode(
      '2026-12-06 10:42:01,000 INFO  [main] a.B - one\n\tat x.Y(Y.java:1)\n2026-12-06 10:42:02 something else entirely\nnot stamped\n',
    ), 'j.log', { now: NOW, format: 'logs-java' });
    expect(java.logs.map((l) => [l.line, iso(l.timeNs), l.message])).toEqual([
      [1, '2026-12-06T10:42:01.000000000Z', 'one\n\tat x.Y(Y.java:1)'],
      [3, '2026-12-06T10:42:02.000000000Z', 'something else entirely\nnot stamped'],
    ]);
    const syslog = readBytes(new TextEncoder().encode(
      'Dec  6 10:42:01 host app[1]: one\nDec  6 10:42:02 INFO raw line from somewhere\n  indented continuation\n',
    ), 's.log', { now: NOW, format: 'logs-syslog-3164' });
    expect(syslog.logs.map((l) => [l.line, iso(l.timeNs)])).toEqual([[1, '2026-12-06T10:42:01.000000000Z'], [2, '2026-12-06T10:42:02.000000000Z']]);
  });
});
