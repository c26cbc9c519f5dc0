package io.tito.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Models of ordinary mutable classes (beans), UUID ids, and hydration through setters. */
class OrdinaryClassModelTest {

  public static class Owner {
    private UUID id;
    private String name;

    public Owner() {}

    Owner(UUID id, String name) {
      this.id = id;
      this.name = name;
    }

    public UUID getId() {
      return id;
    }

    public void setId(UUID id) {
      this.id = id;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  public static class Pet {
    private long id;
    private String species;
    private UUID ownerId;
    private Owner owner;

    public Pet() {}

    Pet(long id, String species, UUID ownerId) {
      this.id = id;
      this.species = species;
      this.ownerId = ownerId;
    }

    public long getId() {
      return id;
    }

    public void setId(long id) {
      this.id = id;
    }

    public String getSpecies() {
      return species;
    }

    public void setSpecies(String species) {
      this.species = species;
    }

    public UUID getOwnerId() {
      return ownerId;
    }

    public void setOwnerId(UUID ownerId) {
      this.ownerId = ownerId;
    }

    public Owner getOwner() {
      return owner;
    }

    public void setOwner(Owner owner) {
      this.owner = owner;
    }
  }

  @Test
  void beansWithSettersWork() {
    Model<Owner> owners = Model.builder(Owner.class, "owners").id(Owner::getId).build();
    Model<Pet> pets = Model.builder(Pet.class, "pets").id(Pet::getId)
        .index("by_species", ix -> ix.field("species", Pet::getSpecies))
        .hasOne("owner", "owners", Pet::getOwnerId, (Pet p, Owner o) -> {
          p.setOwner(o);
          return p;
        })
        .build();
    try (Tito tito = Tito.open(new MemoryEngine())) {
      DataStore data = DataStore.models().model(owners).model(pets).open(tito);
      UUID ann = UUID.fromString("00000000-0000-0000-0000-000000000001");
      data.store(owners).insert(new Owner(ann, "Ann"));
      data.store(pets).insert(new Pet(2, "cat", ann));
      data.store(pets).insert(new Pet(1, "cat", null));
      List<Pet> cats = data.store(pets).query("by_species").eq("cat").hydrate("owner").page()
          .values();
      assertThat(cats).extracting(Pet::getId).containsExactly(1L, 2L);
      assertThat(cats.get(0).getOwner()).isNull();
      assertThat(cats.get(1).getOwner().getName()).isEqualTo("Ann");
      assertThat(data.store(owners).findById(ann).orElseThrow().id()).isEqualTo(ann);
      assertThat(data.store(pets).patch(2, Patch.set("/species", "lynx")).value().getSpecies())
          .isEqualTo("lynx");
      assertThat(data.store(pets).count("by_species", "cat")).isEqualTo(1);
    }
  }
}
