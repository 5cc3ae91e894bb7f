import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `@tandem/flow` and `@tandem/contracts` are linked workspace packages built to CommonJS: Vite does not
// pre-bundle linked packages by default, so they are listed explicitly for dev (optimizeDeps) and build
// (commonjsOptions), otherwise their `require`s reach the browser untouched.
export default defineConfig({
  plugins: [react()],
  optimizeDeps: { include: ['@tandem/flow', '@tandem/contracts'] },
  build: {
    commonjsOptions: { include: [/@tandem\/flow/, /@tandem\/contracts/, /node_modules/] },
    chunkSizeWarningLimit: 2500,
    sourcemap: true,
  },
  server: { host: '127.0.0.1', port: Number(process.env.TANDEM_WEB_PORT ?? 5173) },
});
