/** The most procedure calls one HTTP request may batch (the API refuses more; the web client's links send at most this). */
export const MAX_BATCH_CALLS = 10;

/** The largest id a client may name: PostgreSQL's `integer` (ids past it cannot exist). */
export const MAX_ID = 2_147_483_647;
