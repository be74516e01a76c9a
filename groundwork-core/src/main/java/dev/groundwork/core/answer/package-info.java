/** Answering: context assembly under a token budget and the offline extractive answerer. */
package dev.groundwork.core.answer;
