// svelte-check and the Vite plugin read this; runes everywhere.
export default { compilerOptions: { runes: true } };
