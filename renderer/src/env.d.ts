/// <reference types="vite/client" />

// A script, not a module: this declaration is ambient, so plain tsc accepts .vue imports too.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
