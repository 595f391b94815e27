// Placeholder: the console's tests land with the console.
