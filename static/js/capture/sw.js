// The capture form's service worker: the form opens and works with no network once it
// has been opened once.
//
// Served by the app at /sw.js (sensemaker/offline.py), which fills in VERSION (a hash of
// every file below, so a new release brings a new worker and a fresh cache) and ASSETS.
//
// - The form's scripts and styles: from the cache, fetched once per release.
// - Form pages (/s/<survey>, /k/<kiosk>), their definition JSON and the accessibility
//   statement: from the network when it answers, else the copy kept last time.
// - Everything else, above all the API and every signed-in page, is never touched or kept.

const VERSION = "__VERSION__";
const ASSETS = __ASSETS__;
const PAGES = __PAGES__;
const CACHE = `sensemaker-capture-${VERSION}`;
const NETWORK_WAIT_MS = 4000; // a Wi-Fi that hangs is slower than a copy that is here

const pagePatterns = PAGES.map((pattern) => new RegExp(pattern));

function isPage(url) {
  return url.origin === self.location.origin && pagePatterns.some((p) => p.test(url.pathname));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("sensemaker-capture-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function fromCacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** Keep a page only when it is the real thing: a 200 from this site, not an error page. */
async function keep(cache, request, response) {
  if (response.status === 200 && response.type === "basic" && !response.redirected) {
    await cache.put(request, response.clone());
  }
}

async function fromNetworkFirst(request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    await keep(cache, request, response);
    return response;
  });
  network.catch(() => {}); // a failure is handled below, or does not matter any more
  const late = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, null));
  try {
    const first = await Promise.race([network, late]);
    if (first) return first;
    // The network is slow: the kept copy if there is one, else go on waiting for it.
    return (await cache.match(request, { ignoreVary: true })) || (await network);
  } catch (error) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) event.respondWith(fromCacheFirst(request));
  else if (isPage(url)) event.respondWith(fromNetworkFirst(request));
});

// The page that registered the worker asks it to keep pages it loaded without it.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const address of data.urls.slice(0, 20)) {
        const url = new URL(address, self.location.origin);
        if (!isPage(url)) continue;
        try {
          const request = new Request(url.href, { credentials: "same-origin" });
          await keep(cache, request, await fetch(request));
        } catch {
          // Offline right now: it is kept the next time it is opened online.
        }
      }
    })(),
  );
});
