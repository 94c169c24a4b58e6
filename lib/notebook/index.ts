// Public API of lib/notebook: re-export each module here.
export {};
