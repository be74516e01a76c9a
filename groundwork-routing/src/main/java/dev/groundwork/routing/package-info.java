/**
 * Routing between models: outcome files (which model answered each prompt well, and at what cost),
 * the routing curve and its summaries (APGR, CPT), and routers learned from outcomes.
 */
package dev.groundwork.routing;
