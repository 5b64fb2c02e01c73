export { type ReconcileMode, type ReconcileOptions, type ReconcileRunResult, inWriteTransaction, runReconcile } from "./run.ts";
export {
  createReconcileQueue,
  enqueueReconcile,
  getReconcileJob,
  type ReconcileJobState,
  type ReconcileWorker,
  type ReconcileWorkerOptions,
  REQUESTED_RUN_ID,
  RECONCILE_JOB,
  startReconcileWorker,
} from "./worker.ts";
export { acquireLock, reconcileLockKey, withLock } from "./lock.ts";
