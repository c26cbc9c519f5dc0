package io.tito.testkit.data;

import io.tito.ManualClock;
import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.testkit.data.DataModels.Author;
import io.tito.testkit.data.DataModels.Order;
import io.tito.testkit.data.DataModels.Post;
import io.tito.testkit.data.DataModels.Product;
import io.tito.testkit.data.DataModels.Tag;
import io.tito.testkit.data.DataModels.User;

/**
 * What every contract of the data acceptance kit gets from {@link DataAcceptanceTest}: a fresh
 * Tito store on the engine under test per test, a manual clock, and a data store with the
 * {@link DataModels}.
 */
public interface DataFixture {

  /** The Tito store of the running test. */
  Tito tito();

  /** The clock of the data store. */
  ManualClock clock();

  /** The data store with every model of {@link DataModels}. */
  DataStore data();

  /** The model definitions registered in {@link #data()}. */
  Models models();

  /** The models of {@link #data()}. */
  record Models(Model<User> users, Model<Author> authors, Model<Tag> tags, Model<Post> posts,
      Model<Product> products, Model<Order> orders) {

    static Models create() {
      return new Models(DataModels.users(), DataModels.authors(), DataModels.tags(),
          DataModels.posts(), DataModels.products(), DataModels.orders());
    }
  }

  default ModelStore<User> users() {
    return data().store(models().users());
  }

  default ModelStore<Author> authors() {
    return data().store(models().authors());
  }

  default ModelStore<Tag> tags() {
    return data().store(models().tags());
  }

  default ModelStore<Post> posts() {
    return data().store(models().posts());
  }

  default ModelStore<Product> products() {
    return data().store(models().products());
  }

  default ModelStore<Order> orders() {
    return data().store(models().orders());
  }
}
