/**
 * The distributed engine on an etcd v3 cluster ({@code io.tito.etcd}), found by
 * {@code Tito.open("etcd://host:2379,host:2379")}. It speaks etcd's gRPC API through the stubs of
 * jetcd-grpc (an automatic module) over gRPC's shaded Netty transport.
 */
module io.tito.etcd {
  requires transitive io.tito.core;
  requires jetcd.grpc;
  requires io.grpc;
  requires io.grpc.stub;
  requires io.grpc.netty.shaded;
  requires com.google.protobuf;
  requires org.slf4j;

  exports io.tito.etcd;

  provides io.tito.spi.EngineProvider with io.tito.etcd.EtcdEngineProvider;
}
