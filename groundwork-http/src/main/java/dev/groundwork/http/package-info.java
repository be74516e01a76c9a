/**
 * The HTTP client the model providers share ({@link dev.groundwork.http.Http1Client}): blocking
 * HTTP/1.1 with keep-alive pooling, proxies from the environment (CONNECT tunnels for https), gzip
 * responses, every resolved address tried in turn, and a cap on connections per host. Only the JDK.
 */
package dev.groundwork.http;
