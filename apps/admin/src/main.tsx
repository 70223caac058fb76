import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { createAppRouter } from './app/router';
import { createApolloClient } from './lib/apollo';
import { sessionEvents } from './lib/session-events';
import './styles.css';

const client = createApolloClient({
  onSessionExpired: () => sessionEvents.expired(),
  onSessionRefreshed: (session) => sessionEvents.refreshed(session),
});

const router = createAppRouter();

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <RouterProvider router={router} />
    </ApolloProvider>
  </StrictMode>,
);
