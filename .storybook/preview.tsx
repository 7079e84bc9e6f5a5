import type { Preview } from '@storybook/react-vite'
import '../src/react/styles.css'

const preview: Preview = {
  parameters: {
    layout: 'padded',
    a11y: { test: 'error' },
    controls: { expanded: true },
  },
  globalTypes: {
    theme: {
      description: 'aiscope theme',
      toolbar: { title: 'Theme', icon: 'contrast', items: ['light', 'dark'], dynamicTitle: true },
    },
  },
  initialGlobals: { theme: 'light' },
  decorators: [
    (Story, context) => (
      <div
        data-aiscope-theme={context.globals.theme === 'dark' ? 'dark' : 'light'}
        style={{ padding: 16, background: context.globals.theme === 'dark' ? '#111113' : 'transparent' }}
      >
        <Story />
      </div>
    ),
  ],
}

export default preview
