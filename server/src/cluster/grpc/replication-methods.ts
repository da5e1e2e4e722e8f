/**
 * Names of the `Replication` gRPC service (proto/replication.proto) that code outside the gRPC
 * layer needs: kept apart from replication-proto.ts, which loads @grpc/grpc-js and the .proto
 * file, so that naming a method does not load them (a lone node loads them on first use).
 */
export const REPLICATION_SERVICE = 'replimq.replication.v1.Replication';

/** The one method a holder of the cluster secret may call before it is a member (asking to join). */
export const CHANGE_MEMBERSHIP_METHOD = `/${REPLICATION_SERVICE}/ChangeMembership`;
