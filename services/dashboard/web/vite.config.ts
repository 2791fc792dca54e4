import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The dev server forwards every API prefix to a running Pinion (`deploy/local/start.sh`, port
// 3000 by default), so `vite` in web/ gives hot reload against real services.
const backend = process.env.PINION_DEV_BACKEND ?? 'http://127.0.0.1:8080'
const apiPrefixes = ['/api', '/pinning', '/upload', '/gateway', '/prover', '/github']

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under assets/: the server marks them immutable (routes/web-app.ts).
    assetsDir: 'assets',
  },
  server: {
    proxy: Object.fromEntries(apiPrefixes.map((prefix) => [prefix, backend])),
  },
})
