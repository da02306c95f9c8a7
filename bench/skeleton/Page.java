package skeleton;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** What the Faces page shows. */
@Named
@RequestScoped
public class Page {
  public String getTitle() {
    return "skeleton";
  }
}
