import {
  ZAccepted,
  ZChangePasswordInput,
  ZCreateTokenInput,
  ZDeleteAccountInput,
  ZLoginInput,
  ZPublicUser,
  ZRegisterInput,
  ZRequestPasswordResetInput,
  ZResendVerificationInput,
  ZResetPasswordInput,
  ZSessionToken,
  ZVerifyEmailInput,
} from '@compareintel/shared';
import { authedProcedure, publicProcedure, router } from '../trpc';
import { changePassword } from './change-password';
import { deleteAccount } from './delete-account';
import { describeUser } from './describe-user';
import { createToken, logIn } from './log-in';
import { logOut } from './log-out';
import { registerUser } from './register-user';
import { requestPasswordReset } from './request-password-reset';
import { resendVerification } from './resend-verification';
import { resetPassword } from './reset-password';
import { verifyEmail } from './verify-email';

export const authRouter = router({
  register: publicProcedure
    .input(ZRegisterInput)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => registerUser(ctx, input)),

  verifyEmail: publicProcedure
    .input(ZVerifyEmailInput)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => verifyEmail(ctx, input)),

  resendVerification: publicProcedure
    .input(ZResendVerificationInput)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => resendVerification(ctx, input)),

  /** Sets the session cookie; the token itself is never in the answer. */
  login: publicProcedure
    .input(ZLoginInput)
    .output(ZPublicUser)
    .mutation(({ ctx, input }) => logIn(ctx, input)),

  /** For typed internal clients: a session token to send as `Authorization: Bearer`. */
  createToken: publicProcedure
    .input(ZCreateTokenInput)
    .output(ZSessionToken)
    .mutation(({ ctx, input }) => createToken(ctx, input)),

  // No `.input()` on procedures that take none: tRPC would then parse the (empty) body of a plain
  // httpLink call and fail; without it any input is simply ignored.
  logout: publicProcedure.output(ZAccepted).mutation(({ ctx }) => logOut(ctx)),

  /** Null when signed out. */
  me: publicProcedure
    .output(ZPublicUser.nullable())
    .query(({ ctx }) => (ctx.user ? describeUser(ctx, ctx.user) : null)),

  requestPasswordReset: publicProcedure
    .input(ZRequestPasswordResetInput)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => requestPasswordReset(ctx, input)),

  resetPassword: publicProcedure
    .input(ZResetPasswordInput)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => resetPassword(ctx, input)),

  changePassword: authedProcedure
    .input(ZChangePasswordInput)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => changePassword(ctx, input)),

  deleteAccount: authedProcedure
    .input(ZDeleteAccountInput)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => deleteAccount(ctx, input)),
});
