/** Model-independent text units: tokens for budgets, sentences, and content terms for matching. */
package dev.groundwork.core.text;
