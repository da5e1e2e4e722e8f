// The testkit's public API is assembled here (see client/README.md).
export {};
