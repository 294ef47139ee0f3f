"""What each framework's losses and metrics expect: data shared by static and runtime front ends."""
