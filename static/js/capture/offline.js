// The form keeps working with no network once it has been opened: a service worker
// (sw.js, served at /sw.js) keeps the page, its scripts, styles and the survey definition.
//
// The page that registers the worker was loaded before the worker existed, so it asks
// the worker to fetch and keep it (and the other language's page) right away.

export function keepForOffline(config) {
  if (!("serviceWorker" in navigator) || !config.service_worker_url) return;
  navigator.serviceWorker
    .register(config.service_worker_url, { scope: config.service_worker_scope })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const urls = [window.location.href, ...config.offline_urls];
      registration.active.postMessage({ type: "keep", urls });
    })
    .catch(() => {
      // No worker (private mode, an old browser): the form works, only not offline.
    });
}
