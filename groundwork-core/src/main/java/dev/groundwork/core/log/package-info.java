/** The query log: every answered request, with feedback; implementations live in groundwork-store-jdbc. */
package dev.groundwork.core.log;
