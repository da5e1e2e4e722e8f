/** The ports a replimq node listens on inside its container (the server's defaults). */
export const SQS_PORT = 9324;
export const ADMIN_PORT = 9325;
export const GRPC_PORT = 9326;
