/**
 * A lean blocking HTTP/1.1 client with keep-alive pooling, shared by the model providers and the
 * benchmarks. Only the JDK.
 */
package dev.groundwork.core.http;
