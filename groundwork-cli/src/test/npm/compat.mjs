// Drives a running `groundwork serve` with the official openai client and prints one JSON object:
// what a non-streaming call, a streaming call and a call with a bad key gave. Env: GW_BASE_URL, GW_KEY.
import OpenAI from "openai";

const baseURL = process.env.GW_BASE_URL;
const question = "Which port does the alpha service listen on?";
const client = new OpenAI({ baseURL, apiKey: process.env.GW_KEY, maxRetries: 0 });
const out = {};

const r = await client.chat.completions.create({ model: "extractive", messages: [{ role: "user", content: question }] });
out.content = r.choices[0].message.content;
out.finish_reason = r.choices[0].finish_reason;
out.citations = (r.groundwork?.citations ?? []).map((c) => c.source);

const stream = await client.chat.completions.create({
  model: "extractive", stream: true, stream_options: { include_usage: true },
  messages: [{ role: "user", content: question }],
});
let streamed = "";
let usage = null;
for await (const chunk of stream) {
  if (chunk.choices.length > 0) streamed += chunk.choices[0].delta?.content ?? "";
  if (chunk.usage) usage = chunk.usage;
}
out.streamed = streamed;
out.stream_usage = usage !== null;

try {
  await new OpenAI({ baseURL, apiKey: "gw_wrong", maxRetries: 0 }).chat.completions.create({
    model: "extractive", messages: [{ role: "user", content: question }],
  });
  out.bad_key = "no error";
} catch (e) {
  out.bad_key = { status: e.status, code: e.code, type: e.type };
}
console.log(JSON.stringify(out));
