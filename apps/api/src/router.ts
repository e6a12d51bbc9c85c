import { adminRouter } from './admin/router';
import { arenaRouter } from './arena/router';
import { authRouter } from './auth/router';
import { billingRouter } from './billing/router';
import { compareRouter } from './compare/router';
import { conversationsRouter } from './conversations/router';
import { creditsRouter } from './credits/router';
import { healthRouter } from './health/router';
import { modelsRouter } from './models/router';
import { preferencesRouter } from './preferences/router';
import { sharesRouter } from './shares/router';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  health: healthRouter,
  auth: authRouter,
  preferences: preferencesRouter,
  models: modelsRouter,
  compare: compareRouter,
  conversations: conversationsRouter,
  credits: creditsRouter,
  admin: adminRouter,
  billing: billingRouter,
  shares: sharesRouter,
  arena: arenaRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
