import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createAiscope } from 'aiscope'
import { AiscopeProvider } from 'aiscope/react'
import 'aiscope/styles.css'
import './demo.css'
import { App } from './App'

/** One client for the whole app: its worker and store live as long as the page. */
const client = createAiscope({ dbName: 'aiscope-demo' })

const container = document.getElementById('root')
if (!container) {
  throw new Error('demo: #root is missing from index.html')
}

createRoot(container).render(
  <StrictMode>
    <AiscopeProvider client={client}>
      <App />
    </AiscopeProvider>
  </StrictMode>,
)
