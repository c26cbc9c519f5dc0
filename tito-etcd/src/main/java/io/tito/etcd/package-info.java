/**
 * The distributed engine on an etcd v3 cluster: {@link io.tito.etcd.EtcdEngine} opened with
 * {@link io.tito.etcd.EtcdEngineOptions}, or by the name {@code etcd} through
 * {@link io.tito.etcd.EtcdEngineProvider}. Snapshot isolation with first-committer-wins, commits
 * as single etcd transactions, notifications through watches; the module README states etcd's
 * limits (operations per transaction, request size, space quota, compaction, reverse scans).
 */
package io.tito.etcd;
