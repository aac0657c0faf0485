/** A tiny web server for the sites the end-to-end tests track (127.0.0.1, a port of its own). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a path answers: HTML (200 unless `status`), or a file to download. */
export interface Page {
  status?: number;
  html?: string;
  download?: string;
}

export interface Site {
  port: number;
  close(): Promise<void>;
}

/** Serve `pages(path)` (query and fragment stripped; undefined → 404 without a body). */
export async function serveSite(pages: (path: string) => Page | undefined): Promise<Site> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname;
    const page = pages(path);
    if (page === undefined) {
      response.writeHead(404).end();
    } else if (page.download !== undefined) {
      response
        .writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-disposition': `attachment; filename="${path.split('/').pop()}"`,
        })
        .end(page.download);
    } else {
      response
        .writeHead(page.status ?? 200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
        })
        .end(page.html);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
