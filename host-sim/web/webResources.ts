// The host's web resources, as Jira and Confluence serve them to every page: Atlassian's UI
// library AUI (`com.atlassian.auiplugin:ajs`) with its jQuery, straight from node_modules, so
// pages work offline and nothing comes from a CDN. Plugin pages get them through the host's
// page frame (see pageDecorator.ts); the profile page's panels find AJS already loaded.
import path from 'node:path';
import express, { type Router } from 'express';

/** Where the AJS web resource is served, below the context path. */
export const AJS_RESOURCE_PATH = '/download/resources/com.atlassian.auiplugin:ajs';

const AUI_DIST = path.join(path.dirname(require.resolve('@atlassian/aui/package.json')), 'dist', 'aui');
const JQUERY_FILE = path.join(path.dirname(require.resolve('jquery/package.json')), 'dist', 'jquery.min.js');
const MAX_AGE_MS = 24 * 60 * 60_000;

/** Serves `…/jquery.js`, `…/aui-prototyping.{js,css}` and AUI's fonts and images. */
export function webResources(): Router {
  const router = express.Router();
  router.get(`${AJS_RESOURCE_PATH}/jquery.js`, (_req, res, next) => {
    res.sendFile(JQUERY_FILE, { maxAge: MAX_AGE_MS, headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => { if (err) next(err); });
  });
  router.use(AJS_RESOURCE_PATH, express.static(AUI_DIST, { index: false, fallthrough: false, maxAge: MAX_AGE_MS }));
  return router;
}
