// Placeholder until the console lands.
