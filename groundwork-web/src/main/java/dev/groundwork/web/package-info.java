/**
 * Live sources: web search (the SearXNG JSON API, the Brave Search API) and pages at configured URLs,
 * fetched with {@link dev.groundwork.web.PageFetcher} behind {@link dev.groundwork.web.AddressGuard}
 * (no private, loopback or link-local address unless allowed, checked on every redirect, and the
 * client connects to the address it checked), honouring robots.txt, with timeouts, a size cap and a
 * TTL cache. {@link dev.groundwork.web.WebSources} turns them into chunks for the ask pipeline.
 */
package dev.groundwork.web;
