import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createApolloClient } from './lib/apollo';
import { RouterProvider } from './lib/router';
import { sessionEvents } from './lib/session-events';
import './styles.css';

const client = createApolloClient({
  onSessionExpired: () => sessionEvents.expired(),
  onSessionRefreshed: (session) => sessionEvents.refreshed(session),
});

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <RouterProvider>
      <ApolloProvider client={client}>
        <App />
      </ApolloProvider>
    </RouterProvider>
  </StrictMode>,
);
