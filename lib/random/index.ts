// Public API of lib/random: re-export each module here.
export {};
