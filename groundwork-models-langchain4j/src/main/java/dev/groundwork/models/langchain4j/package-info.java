/**
 * The bridge from Groundwork's {@link dev.groundwork.core.model.ChatModel} SPI to LangChain4j's chat
 * models, shared by the OpenAI and Anthropic providers. LangChain4j types stay inside this module and
 * the provider modules. Requests go through {@link dev.groundwork.models.langchain4j.StatusHttpClient},
 * which keeps the HTTP status, body and {@code Retry-After} of a failure, so each provider can map
 * status codes to {@link dev.groundwork.core.model.ModelException.Kind} in one place.
 */
package dev.groundwork.models.langchain4j;
