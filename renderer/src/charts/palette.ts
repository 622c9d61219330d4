// Chart colours per theme, matching the CSS variables in styles/base.css.
export interface ChartPalette {
  text: string;
  muted: string;
  grid: string;
  axis: string;
  accent: string;
  accent2: string;
  tooltipBg: string;
}

export const PALETTES: Record<'light' | 'dark', ChartPalette> = {
  light: {
    text: '#1d2430',
    muted: '#5b6574',
    grid: '#e3e7ee',
    axis: '#9aa4b2',
    accent: '#2f6fde',
    accent2: '#d9582b',
    tooltipBg: '#ffffff',
  },
  dark: {
    text: '#e6e9ef',
    muted: '#a3acba',
    grid: '#2c333f',
    axis: '#5d6878',
    accent: '#6ea2ff',
    accent2: '#ff8a5c',
    tooltipBg: '#1e232c',
  },
};
