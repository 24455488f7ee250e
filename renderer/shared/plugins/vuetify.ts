// One Vuetify setup for the desk and the portal: French locale, SVG icons, a theme whose colours pass WCAG AA.
import 'vuetify/styles';
import { createVuetify } from 'vuetify';
import { fr } from 'vuetify/locale';
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg';

export function createGuichetVuetify() {
  return createVuetify({
    locale: { locale: 'fr', messages: { fr } },
    icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
    theme: {
      defaultTheme: 'guichet',
      themes: {
        guichet: {
          dark: false,
          colors: {
            primary: '#1d4f91',
            secondary: '#4a5560',
            accent: '#8a3b12',
            success: '#1b6e37',
            warning: '#8a5300',
            error: '#b3261e',
            info: '#1d5f8a',
            background: '#f5f6f8',
            surface: '#ffffff',
            'on-surface': '#1b1f24',
          },
          variables: {
            'medium-emphasis-opacity': 0.78,
            'high-emphasis-opacity': 0.92,
          },
        },
      },
    },
    defaults: {
      VTextField: { variant: 'outlined', density: 'comfortable', color: 'primary' },
      VBtn: { ripple: false },
      VCard: { rounded: 'lg' },
      // A notice must not swallow the next back / URL navigation (overlays close on « back » by default).
      VSnackbar: { closeOnBack: false },
    },
  });
}
