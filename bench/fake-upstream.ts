/**
 * The fake OpenAI-compatible upstream for the compare benchmark, in its own process so that its token
 * pacing is not disturbed by the API under load. Behaviours come as JSON in FAKE_BEHAVIORS; the base
 * URL is printed as the first line.
 */
import {
  type FakeBehavior,
  startFakeOpenAiServer,
} from '@compareintel/api/internal/testing/fake-openai-server';

const behaviors: Record<string, FakeBehavior> = JSON.parse(process.env.FAKE_BEHAVIORS ?? '{}');
const fake = await startFakeOpenAiServer();
for (const [model, behavior] of Object.entries(behaviors)) fake.setBehavior(model, behavior);
// Requests are not kept: hundreds of thousands of them would only grow the heap.
setInterval(() => {
  fake.requests.length = 0;
}, 1000).unref();
console.log(fake.baseUrl);
process.on('SIGTERM', () => {
  void fake.close().then(() => process.exit(0));
});
