/**
 * The embedded RocksDB engine, Tito's default: {@link io.tito.rocksdb.RocksDbEngine} opened with
 * {@link io.tito.rocksdb.RocksDbOptions}, or by the name {@code rocksdb} through
 * {@link io.tito.rocksdb.RocksDbEngineProvider}. See {@link io.tito.rocksdb.Durability} for what
 * each durability mode guarantees.
 */
package io.tito.rocksdb;
