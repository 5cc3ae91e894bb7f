import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `@tandem/flow`, `@tandem/contracts` and `@tandem/api-contract` are linked workspace packages built to
// CommonJS: Vite does not pre-bundle linked packages by default, so they are listed explicitly for dev
// (optimizeDeps) and build (commonjsOptions), otherwise their `require`s reach the browser untouched.
export default defineConfig({
  plugins: [react()],
  optimizeDeps: { include: ['@tandem/flow', '@tandem/contracts', '@tandem/api-contract'] },
  build: {
    commonjsOptions: { include: [/@tandem\/flow/, /@tandem\/contracts/, /@tandem\/api-contract/, /node_modules/] },
    chunkSizeWarningLimit: 2500,
    sourcemap: true,
  },
  server: { host: '127.0.0.1', port: Number(process.env.TANDEM_WEB_PORT ?? 5173) },
});
