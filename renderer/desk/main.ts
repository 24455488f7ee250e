// Desk renderer entry: Vue + Pinia + Vuetify.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { createGuichetVuetify } from '../shared/plugins/vuetify';
import App from './App.vue';

createApp(App).use(createPinia()).use(createGuichetVuetify()).mount('#app');
