import { defineConfig } from 'vite';

// The app always calls the relative /graphql, /fhir (exports), /ical (feeds) and
// /reports/<name>.csv (the reports' CSV export); dev and preview proxy them to the API. The CSV key is a pattern, so no page of
// the app under /reports would be sent to the API.
const apiUrl = process.env.API_URL ?? 'http://localhost:4000';
const proxy = {
  '/graphql': { target: apiUrl, changeOrigin: true },
  '^/reports/[^/]+\\.csv': { target: apiUrl, changeOrigin: true },
  '/ical': { target: apiUrl, changeOrigin: true },
  '/fhir': { target: apiUrl, changeOrigin: true },
};

export default defineConfig({
  // Vite 8 transforms TSX with Oxc: the automatic runtime is all React 19 needs,
  // so no @vitejs/plugin-react.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  server: { host: '127.0.0.1', port: Number(process.env.ADMIN_PORT ?? 5173), proxy },
  preview: { host: '127.0.0.1', port: Number(process.env.ADMIN_PORT ?? 5173), strictPort: true, proxy },
  build: {
    outDir: 'dist',
    sourcemap: true,
    target: 'es2022',
    // One bundle for a staff app used all day on a desk: React, Apollo, React Router, zod.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      // React Router marks its modules "use client" (for server components); a plain SPA ignores it.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
