// Desk renderer entry: Vue + Pinia + Vuetify + the router.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { createGuichetVuetify } from '../shared/plugins/vuetify';
import App from './App.vue';
import { createDeskRouter } from './router';

createApp(App).use(createPinia()).use(createDeskRouter()).use(createGuichetVuetify()).mount('#app');
