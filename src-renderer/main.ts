// Renderer entry: pick the host (Electron preload or plain browser), start the engine worker,
// mount the app.
import { mount } from 'svelte';
import App from './App.svelte';
import { createHost } from './host/index.ts';
import { startWorkerEngine } from './engine/client.ts';
import './app.css';

const target = document.getElementById('app');
if (target) mount(App, { target, props: { host: createHost(), engine: startWorkerEngine() } });
