// Desk routes. Hash history: the packaged desk loads its page from a file.
import { createRouter, createWebHashHistory } from 'vue-router';
import type { RouteRecordRaw } from 'vue-router';
import HomeView from './features/accueil/HomeView.vue';
import FamilySearch from './features/famille/FamilySearch.vue';
import FamilyWizard from './features/famille/FamilyWizard.vue';
import FamilyFile from './features/famille/FamilyFile.vue';
import BookingView from './features/reservations/BookingView.vue';
import DemandesQueue from './features/demandes/DemandesQueue.vue';
import ToHandleView from './features/sync/ToHandleView.vue';
import CashJournalView from './features/caisse/CashJournalView.vue';

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'accueil', component: HomeView },
  { path: '/familles', name: 'familles', component: FamilySearch },
  { path: '/familles/nouvelle', name: 'famille-nouvelle', component: FamilyWizard },
  { path: '/familles/:id', name: 'famille', component: FamilyFile, props: true },
  {
    path: '/familles/:id/reservations/:personId',
    name: 'reservations',
    component: BookingView,
    props: true,
  },
  { path: '/demandes', name: 'demandes', component: DemandesQueue },
  { path: '/a-traiter', name: 'a-traiter', component: ToHandleView },
  { path: '/caisse/journal', name: 'journal-de-caisse', component: CashJournalView },
];

export function createDeskRouter() {
  return createRouter({ history: createWebHashHistory(), routes });
}
