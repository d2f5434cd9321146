// /docs: Swagger UI served from the swagger-ui-dist package, so the page works with no internet.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>助学金发放账本 API · Scholarship ledger API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs-init.js"></script>
</body>
</html>`;

// Kept in its own file so that a Content-Security-Policy without 'unsafe-inline' can allow it.
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: true, persistAuthorization: false });`;

export const docsRoutes = new Hono<AppEnv>()
  .get('/docs', (c) => c.html(PAGE))
  .get('/docs/assets/docs-init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }))
  .get('/docs/assets/:name{[a-z0-9.-]+}', async (c) => {
    const load = c.get('deps').docsAssets;
    const asset = load ? await load(c.req.param('name')) : null;
    if (!asset) return c.notFound();
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': asset.contentType, 'Cache-Control': 'public, max-age=86400' });
  });
