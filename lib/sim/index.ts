// Public API of lib/sim: re-export each module here.
export {};
