"""The demo county and city for `zwgk demo`: sits on top of the domain apps, which never import it."""
