// Public API of lib/queueing: re-export each module here.
export {};
