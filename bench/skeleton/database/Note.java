package skeleton;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** One table, created at deployment as scriptcast's are. */
@Entity
public class Note {
  @Id public String id;
  public String text;
}
