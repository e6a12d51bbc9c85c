import type { TCompareEvent } from '@compareintel/shared';

/** One model's answer as its events told it. */
export interface ModelAnswer {
  modelId: string;
  text: string;
  /** Tool and note lines shown with the answer ("searching: …", a note on why search was not used). */
  remarks: string[];
  status: 'streaming' | 'done' | 'failed' | 'stopped';
  message: string | null;
  ttftMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  credits: number | null;
}

export interface RunEnding {
  creditsCharged: number | null;
  creditsRemaining: number | null;
  /** The run itself failed (`failed` event): its sentence. */
  failure: string | null;
}

/** What a run has said so far, folded from its events in order. */
export class RunState {
  readonly answers = new Map<string, ModelAnswer>();
  conversationId: number | null = null;
  ending: RunEnding | null = null;
  /** Set on Ctrl+C: models that end after it ended because they were stopped. */
  stopRequested = false;

  constructor(models: string[]) {
    for (const modelId of models) this.answerOf(modelId);
  }

  answerOf(modelId: string): ModelAnswer {
    let answer = this.answers.get(modelId);
    if (!answer) {
      answer = {
        modelId,
        text: '',
        remarks: [],
        status: 'streaming',
        message: null,
        ttftMs: null,
        inputTokens: null,
        outputTokens: null,
        credits: null,
      };
      this.answers.set(modelId, answer);
    }
    return answer;
  }

  apply(event: TCompareEvent): void {
    switch (event.type) {
      case 'started':
        this.conversationId = event.conversationId;
        for (const modelId of event.models) this.answerOf(modelId);
        return;
      case 'delta':
        this.answerOf(event.modelId).text += event.text;
        return;
      case 'tool': {
        if (event.state === 'done') return;
        const verb = event.tool === 'web_search' ? 'searching' : 'reading';
        const line =
          event.state === 'running'
            ? `${verb}: ${event.target}`
            : `${verb} failed: ${event.note ?? event.target}`;
        this.answerOf(event.modelId).remarks.push(line);
        return;
      }
      case 'note':
        this.answerOf(event.modelId).remarks.push(event.message);
        return;
      case 'modelDone':
        Object.assign(this.answerOf(event.modelId), {
          status: 'done',
          ttftMs: event.ttftMs,
          inputTokens: event.inputTokens,
          outputTokens: event.outputTokens,
          credits: event.credits,
        });
        return;
      case 'modelError':
        Object.assign(this.answerOf(event.modelId), {
          status: this.stopRequested ? 'stopped' : 'failed',
          message: event.message,
          ttftMs: event.ttftMs ?? null,
          inputTokens: event.inputTokens ?? null,
          outputTokens: event.outputTokens ?? null,
          credits: event.credits ?? null,
        });
        return;
      case 'done':
        this.ending = {
          creditsCharged: event.creditsCharged,
          creditsRemaining: event.creditsRemaining,
          failure: null,
        };
        return;
      case 'failed':
        this.ending = { creditsCharged: null, creditsRemaining: null, failure: event.message };
        return;
    }
  }

  /** Every model failed (or was stopped) without a finished answer. */
  get everyModelFailed(): boolean {
    return [...this.answers.values()].every((answer) => answer.status !== 'done');
  }
}
