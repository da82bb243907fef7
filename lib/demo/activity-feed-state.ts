/** Slots of the Int32Array the main thread and the drawing worker share (activity-feed.ts). */
export const PRODUCED = 0;
export const CONSUMED = 1;
/** Batches the worker may draw ahead of the main thread: enough to never keep it waiting, few enough to hold little memory. */
export const AHEAD = 8;
