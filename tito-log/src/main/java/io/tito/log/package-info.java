/**
 * A local transactional log on segment files: {@link io.tito.log.LogProducer} appends records
 * with dense offsets under a {@link io.tito.log.SyncPolicy}; {@link io.tito.log.LogConsumer}
 * reads them in order, at least once or exactly once per consumer id; {@link
 * io.tito.log.StoreLogConsumer} commits its checkpoint inside a Tito transaction. See the module
 * README for the file format, crash safety and waiting.
 */
package io.tito.log;
